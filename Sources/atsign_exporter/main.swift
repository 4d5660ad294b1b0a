import Exporter
import Glibc
import NetIO

TLSContext.prepareProcess()

exit(await ExporterMain.run(Array(CommandLine.arguments.dropFirst())))
