package io.invoiceharvester;

import io.invoiceharvester.cli.HarvesterCommand;

/** Entry point: the command line decides what runs. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        System.exit(HarvesterCommand.execute(args));
    }
}
