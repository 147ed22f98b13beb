package io.invoiceharvester.model;

import java.util.Set;

/** Which listed files a run fetches: for Akamai, the content types harvester.akamai.content-types names. */
public class ContentFilter {

    private final Set<String> akamaiContentTypes;

    public ContentFilter(Set<String> akamaiContentTypes) {
        this.akamaiContentTypes = Set.copyOf(akamaiContentTypes);
    }

    public boolean wanted(ListedFile file) {
        return !"akamai".equals(file.getProvider()) || akamaiContentTypes.contains(file.getContentType());
    }
}
