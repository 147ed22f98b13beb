package io.invoiceharvester.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The outside parties a run waits on besides the providers (SMTP, the ledger bucket), each able to cut what it
 * has in flight: the run's deadline and a stop of the service cut them all (RunLifecycle), and until the next run
 * begins they refuse new calls at once, their clients' own retries included, so that no wait outlives either. The
 * providers' requests are cut by their request slots.
 */
public final class Cutoffs {

    /** One party's calls. */
    public interface Party {
        /** Ends every call in flight, and refuses new ones until {@link #resume}. */
        void cutAll(String why);

        void resume();
    }

    private final List<Party> parties = new CopyOnWriteArrayList<>();

    public void register(Party party) {
        parties.add(party);
    }

    public void cutAll(String why) {
        parties.forEach(party -> party.cutAll(why));
    }

    /** A new run begins: calls go out again. */
    public void resume() {
        parties.forEach(Party::resume);
    }
}
