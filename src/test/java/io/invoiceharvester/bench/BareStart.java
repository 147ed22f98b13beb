package io.invoiceharvester.bench;

/** The bench's bare JVM start: what a command's time is compared with (bench/run.sh commands). */
public final class BareStart {

    private BareStart() {
    }

    public static void main(String[] args) {
        System.out.println("started");
    }
}
