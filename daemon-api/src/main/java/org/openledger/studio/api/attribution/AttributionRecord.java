package org.openledger.studio.api.attribution;

import java.util.List;

/**
 * Where one answer came from ({@code GET /v1/attribution/{id}}, {@code POST /v1/attribution}): the training rows
 * that shaped it by gradient influence, the spans of it found verbatim in the node's rows, and the shares per
 * contributor and per Datanet. {@code state} is {@code pending}, {@code done} or {@code failed} (then
 * {@code error} says why). {@code influence} is sorted by score, highest first; {@code start}/{@code end} of a span
 * are character offsets into {@code completion}.
 */
public record AttributionRecord(String id, String object, String state, Long createdAt, String model, String adapter,
                                String completion, List<Influence> influence, List<Span> spans,
                                List<ContributorShare> contributors, List<DatanetShare> datanets, Integer rowsScored,
                                Double positiveTotal, Double seconds, String error, Charge charge,
                                List<Portion> portions) {

    public AttributionRecord(String id, String object, String state, Long createdAt, String model, String adapter,
                             String completion, List<Influence> influence, List<Span> spans,
                             List<ContributorShare> contributors, List<DatanetShare> datanets, Integer rowsScored,
                             Double positiveTotal, Double seconds, String error, Charge charge) {
        this(id, object, state, createdAt, model, adapter, completion, influence, spans, contributors, datanets,
                rowsScored, positiveTotal, seconds, error, charge, null);
    }

    public AttributionRecord(String id, String object, String state, Long createdAt, String model, String adapter,
                             String completion, List<Influence> influence, List<Span> spans,
                             List<ContributorShare> contributors, List<DatanetShare> datanets, Integer rowsScored,
                             Double positiveTotal, Double seconds, String error) {
        this(id, object, state, createdAt, model, adapter, completion, influence, spans, contributors, datanets,
                rowsScored, positiveTotal, seconds, error, null, null);
    }

    /** The same record with the fee charged for the inference it attributes. */
    public AttributionRecord withCharge(Charge c) {
        return new AttributionRecord(id, object, state, createdAt, model, adapter, completion, influence, spans,
                contributors, datanets, rowsScored, positiveTotal, seconds, error, c, portions);
    }

    /** A contributor's share through one Datanet's rows (the contributor shares split by Datanet). */
    public record Portion(String contributor, String datanetId, double share) {
    }

    /**
     * What a served inference was charged and who is credited (amounts in wei of OPEN, decimal): fee =
     * tokens_in/1000 · price_in + tokens_out/1000 · price_out + platform; the rest after the platform fee is split
     * into the model owner's, the stakers' and the contributors' parts. {@code note} says where a part went when
     * its party is unknown (e.g. no stakers: their part goes to the owner); {@code split} is the owner/stakers/
     * contributors split the node charged it with.
     */
    public record Charge(int tokensIn, int tokensOut, String feeWei, String platformWei, String ownerWei,
                         String stakersWei, String contributorsWei, List<Credit> credits, String note,
                         Pricing.Split split) {

        public Charge(int tokensIn, int tokensOut, String feeWei, String platformWei, String ownerWei,
                      String stakersWei, String contributorsWei, List<Credit> credits, String note) {
            this(tokensIn, tokensOut, feeWei, platformWei, ownerWei, stakersWei, contributorsWei, credits, note, null);
        }
    }

    /**
     * One account's credit from an inference; {@code role} is platform, owner, staker or contributor; a contributor's
     * credit names the Datanet whose rows earned it.
     */
    public record Credit(String account, String role, String amountWei, String datanetId) {

        public Credit(String account, String role, String amountWei) {
            this(account, role, amountWei, null);
        }
    }

    /** A training row's influence on the answer; {@code share} = score / sum of positive scores (0 when negative). */
    public record Influence(String source, String datanetId, String uploadId, Integer seq, String contributor,
                            String text, double score, double share) {
    }

    /** A part of the completion found verbatim in the corpus, with its corpus count and some rows holding it. */
    public record Span(int start, int end, String text, long count, List<SpanSource> sources) {
    }

    /** A row holding a span. */
    public record SpanSource(String source, String datanetId, String uploadId, Integer seq, String contributor,
                             String text) {
    }

    public record ContributorShare(String contributor, double share) {
    }

    public record DatanetShare(String datanetId, double share) {
    }
}
