package io.invoiceharvester.ledger.read;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * FOCUS ServiceCategory and ServiceSubcategory for the providers' products. Neither provider states
 * one, so the product line, group and name are matched against this table: the first rule with a
 * keyword at the start of one of their words wins ("ion" finds "Ion Standard", not "Subscription").
 * docs/ledger.md lists the table with the reasons for it.
 */
final class ServiceCatalog {

    /** A FOCUS 1.2 category and one of its own subcategories. */
    record Service(String category, String subcategory) {
    }

    private record Rule(Service service, List<String> keywords) {
    }

    static final Service OTHER = new Service("Other", "Other (Other)");

    private static final List<Rule> RULES = List.of(
            rule("Other", "Other (Other)", "credit", "coupon", "promotion"),
            rule("Networking", "Network Security", "waf", "firewall", "app & api protector", "kona", "prolexic", "ddos",
                    "shield", "api security", "network security"),
            rule("Security", "Threat Detection and Response", "bot manager", "account protector", "page integrity",
                    "threat", "security"),
            rule("Networking", "Application Networking", "nodebalancer", "load balanc", "global traffic", "traffic management"),
            rule("Networking", "Network Routing", "dns"),
            rule("Compute", "Containers", "kubernetes", "lke", "container"),
            rule("Compute", "Serverless Compute", "edgeworkers", "edge compute", "compute@edge", "serverless", "functions",
                    "compute"),
            rule("Storage", "Object Storage", "netstorage", "object storage"),
            rule("Storage", "Block Storage", "block storage", "volume"),
            rule("Storage", "Backup Storage", "backup"),
            rule("Storage", "Other (Storage)", "storage"),
            rule("Compute", "Virtual Machines", "linode", "instance", "dedicated cpu", "shared cpu", "gpu", "virtual machine"),
            rule("Management and Governance", "Observability", "log", "observab", "monitor", "datastream", "mpulse"),
            rule("Management and Governance", "Support", "support", "professional services"),
            rule("Media", "Media Streaming", "media services live", "live streaming", "transcod"),
            rule("Media", "Other (Media)", "image", "video manager"),
            rule("Networking", "Content Delivery", "cdn", "delivery", "ion", "web performance", "dynamic site", "cache",
                    "bandwidth", "edge", "media", "download"),
            rule("Compute", "Other (Compute)", "compute", "cloud computing"));

    private ServiceCatalog() {
    }

    private static Rule rule(String category, String subcategory, String... keywords) {
        return new Rule(new Service(category, subcategory), List.of(keywords));
    }

    /** Every service the table can give. */
    static List<Service> services() {
        return Stream.concat(RULES.stream().map(Rule::service), Stream.of(OTHER)).distinct().toList();
    }

    private record Product(String line, String group, String name) {
    }

    /** A file repeats a few products over its rows: each is matched once (bounded, whatever a file holds). */
    private static final Map<Product, Service> KNOWN = new ConcurrentHashMap<>();
    private static final int KNOWN_MAX = 4096;
    private static final Pattern SEPARATORS = Pattern.compile("[^a-z0-9&@]+");

    /** The service of a product, from its line, group and name (any may be null). */
    static Service of(String productLine, String productGroup, String product) {
        Product key = new Product(productLine, productGroup, product);
        Service known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        if (KNOWN.size() >= KNOWN_MAX) {
            KNOWN.clear();
        }
        Service service = match(productLine, productGroup, product);
        KNOWN.put(key, service);
        return service;
    }

    private static Service match(String productLine, String productGroup, String product) {
        String words = " " + words(productLine) + " " + words(productGroup) + " " + words(product) + " ";
        for (Rule r : RULES) {
            for (String k : r.keywords()) {
                if (words.contains(" " + k)) {
                    return r.service();
                }
            }
        }
        return OTHER;
    }

    /** Lower case, every separator a single space. */
    private static String words(String s) {
        return s == null ? "" : SEPARATORS.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }
}
