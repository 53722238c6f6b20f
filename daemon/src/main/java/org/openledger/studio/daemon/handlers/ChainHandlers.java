package org.openledger.studio.daemon.handlers;

import org.openledger.studio.api.chain.FaucetRequest;
import org.openledger.studio.daemon.chain.ChainService;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.InvalidAddressException;
import org.openledger.studio.wallet.chain.ChainException;

/** {@code GET /v1/chain} (network, chain id, RPC URL, state, contracts) and {@code POST /v1/chain/faucet} (devnet). */
public final class ChainHandlers {

    private final ChainService chain;

    public ChainHandlers(ChainService chain) {
        this.chain = chain;
    }

    public void register(Router router) {
        router.add("GET", "/v1/chain", req -> Response.json(chain.info()));
        router.add("POST", "/v1/chain/faucet", this::faucet);
    }

    private Response faucet(Request req) {
        FaucetRequest body = req.json(FaucetRequest.class);
        if (body == null || body.address() == null) {
            throw ApiException.badParam("address", "Give the address to fund: {\"address\": \"0x...\"}");
        }
        Address to;
        try {
            to = Address.parse(body.address());
        } catch (InvalidAddressException e) {
            throw ApiException.badParam("address", e.getMessage());
        }
        long open = body.open() == null ? ChainService.DEFAULT_FAUCET_OPEN : body.open();
        try {
            return Response.json(chain.faucet(to, open));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParam("open", e.getMessage());
        } catch (ChainService.NotAvailableException e) {
            throw new ApiException(409, "invalid_request_error", "faucet_unavailable", e.getMessage());
        } catch (ChainException e) {
            throw new ApiException(502, "chain_error", "chain_failed", e.getMessage());
        }
    }
}
