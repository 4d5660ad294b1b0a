import Exporter
import Glibc
import NetIO

TLSContext.prepareProcess()

let status = await ExporterMain.run(Array(CommandLine.arguments.dropFirst()), demoNetwork: SimulatorDemo.start)
exit(status.rawValue)
