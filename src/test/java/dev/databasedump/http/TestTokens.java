package dev.databasedump.http;

/** An admin token for tests outside this package. */
public final class TestTokens {

    private TestTokens() {
    }

    public static String admin() throws Exception {
        return Tokens.admin();
    }

    public static String tenantAdmin(String tenant) throws Exception {
        return Tokens.tenantAdmin(tenant + "-admin", tenant);
    }
}
