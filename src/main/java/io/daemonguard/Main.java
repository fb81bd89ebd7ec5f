package io.daemonguard;

import io.daemonguard.cli.CheckCommand;
import io.daemonguard.cli.ScanNodeCommand;
import io.daemonguard.operator.OperatorCommand;
import io.daemonguard.webhook.WebhookCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** One jar, one entry: each door of daemonguard is a subcommand. */
@Command(
    name = "daemonguard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Protects the container daemon: admission webhook, operator and offline manifest check.",
    subcommands = {WebhookCommand.class, OperatorCommand.class, CheckCommand.class, ScanNodeCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Usage errors exit 2, the contract's code for a bad command line. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExitCodeExceptionMapper(e -> 2);
    commandLine.getCommandSpec().exitCodeOnInvalidInput(2);
    commandLine.getCommandSpec().exitCodeOnExecutionException(2);
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      sub.getCommandSpec().exitCodeOnInvalidInput(2);
      sub.getCommandSpec().exitCodeOnExecutionException(2);
    }
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: webhook, operator, check or scan-node");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"daemonguard " + (version == null ? "dev" : version)};
    }
  }
}
