import Exporter
import Glibc

exit(await ExporterMain.run(Array(CommandLine.arguments.dropFirst())))
