CREATE TABLE orders (
    id               VARCHAR(36)              PRIMARY KEY,
    item             VARCHAR(200)             NOT NULL,
    quantity         INT                      NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    -- how often a worker processed the order: the exactly-once guarantee says it never exceeds 1
    processing_count INT                      DEFAULT 0 NOT NULL,
    submitted_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    processed_at     TIMESTAMP WITH TIME ZONE
);

CREATE INDEX orders_submitted_at ON orders (submitted_at);
