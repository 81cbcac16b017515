package dev.bulkoffboarding.rows;

/** A device holder or recipient, as validated (blank optional fields are {@code null}). */
public record Person(String name, String email, String country, String address, String phone) {
}
