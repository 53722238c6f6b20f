package org.openledger.studio.daemon.handlers.archfixture;

import java.sql.Connection;
import java.sql.SQLException;

/** Breaks the thin-handler rules on purpose: computes, makes many calls, and talks SQL. Test-only. */
public final class FatHandler {

    public double score(double[] xs, Connection c) throws SQLException {
        double s = 0;
        StringBuilder b = new StringBuilder();
        for (double x : xs) {
            s += Math.exp(x);
        }
        b.append(1).append(2).append(3).append(4).append(5).append(6).append(7).append(8).append(9).append(10);
        b.append(1).append(2).append(3).append(4).append(5).append(6).append(7).append(8).append(9).append(10);
        b.append(1).append(2).append(3).append(4).append(5).append(6).append(7).append(8).append(9).append(10);
        b.append(1).append(2).append(3).append(4).append(5).append(6).append(7).append(8).append(9).append(10);
        c.createStatement().execute(b.toString());
        return s;
    }
}
