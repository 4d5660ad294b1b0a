import AtSimulator
import Foundation
import NetIO

TLSContext.prepareProcess()

exit(await SimulatorCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
