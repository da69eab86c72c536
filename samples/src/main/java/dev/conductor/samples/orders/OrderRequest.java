package dev.conductor.samples.orders;

/** The body of {@code POST /orders}. */
record OrderRequest(String item, Integer quantity) {

    /** @throws IllegalArgumentException naming what is wrong, answered with 400 */
    void validate() {
        if (item == null || item.isBlank() || item.length() > 200) {
            throw new IllegalArgumentException("'item' is required, at most 200 characters");
        }
        if (quantity == null || quantity < 1) {
            throw new IllegalArgumentException("'quantity' is required and must be at least 1");
        }
    }
}
