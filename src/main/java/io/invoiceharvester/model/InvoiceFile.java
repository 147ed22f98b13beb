package io.invoiceharvester.model;

/**
 * One file of an invoice as the list offers it: its name as sent (may be hostile) and as safe to write, its
 * version (null until known), the source type and content type it is asked for with, and its link.
 */
public record InvoiceFile(String name, String safeName, String version, String sourceType, String contentType, String link) {
}
