package dev.bulkoffboarding.job;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Writes staged rows to the ledger in one batch per chunk. */
class LedgerItemWriter implements ItemWriter<LedgerRow> {

    private final Ledger ledger;

    LedgerItemWriter(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void write(Chunk<? extends LedgerRow> chunk) {
        this.ledger.insert(java.util.List.copyOf(chunk.getItems()));
    }

}
