import AtSimulator
import Foundation

exit(await SimulatorCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
