package org.openledger.studio.daemon.handlers;

import java.util.function.Supplier;
import org.openledger.studio.api.rewards.CreditRequest;
import org.openledger.studio.daemon.chain.ChainService;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.rewards.InvalidCreditException;
import org.openledger.studio.daemon.rewards.NoRewardException;
import org.openledger.studio.daemon.rewards.RewardLedger;
import org.openledger.studio.daemon.rewards.SettleRefusedException;
import org.openledger.studio.wallet.chain.ChainException;

/**
 * The node's reward ledger and its epochs on chain.
 * <pre>
 * POST /v1/rewards/credits            one credit {account, amount_wei, reason} or {credits: [...]} -> the credits kept
 * GET  /v1/rewards/credits[?account=] credits, newest first, with their total
 * POST /v1/rewards/epochs             settle every credit so far into an epoch and post its root -> the epoch
 * GET  /v1/rewards/epochs             every epoch, newest first
 * GET  /v1/rewards/proof/{account}    the account's claim against the newest posted epoch (404 when it has none)
 * </pre>
 */
public final class RewardHandlers {

    private final RewardLedger ledger;

    public RewardHandlers(RewardLedger ledger) {
        this.ledger = ledger;
    }

    public void register(Router router) {
        router.add("POST", "/v1/rewards/credits", req -> {
            CreditRequest body = req.json(CreditRequest.class);
            return mapped(() -> ledger.credit(body));
        });
        router.add("GET", "/v1/rewards/credits", req -> mapped(() -> ledger.credits(req.query("account"))));
        router.add("POST", "/v1/rewards/epochs", req -> mapped(ledger::settle));
        router.add("GET", "/v1/rewards/epochs", req -> mapped(ledger::epochs));
        router.add("GET", "/v1/rewards/proof/{account}", req -> mapped(() -> ledger.proof(req.pathParam("account"))));
    }

    /** The ledger's refusals as HTTP errors: 400 bad input, 404 nothing owed, 409 cannot now, 502 the chain failed. */
    private static Response mapped(Supplier<Object> call) {
        try {
            return Response.json(call.get());
        } catch (InvalidCreditException e) {
            throw ApiException.badParam(e.param(), e.getMessage());
        } catch (NoRewardException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (SettleRefusedException e) {
            throw new ApiException(409, "invalid_request_error", e.code(), e.getMessage());
        } catch (ChainService.NotAvailableException e) {
            throw new ApiException(409, "invalid_request_error", "chain_unavailable", e.getMessage());
        } catch (ChainException e) {
            throw new ApiException(502, "chain_error", "chain_failed", e.getMessage());
        }
    }
}
