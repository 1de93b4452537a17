// Neo4j Community 5.26 embedded, served over Bolt: no Neo4j server package is on any registry
// this project can reach, but the database and its Bolt connector are on Maven Central.
//
//   java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
//        -cp <classes>:<maven classpath> Launcher <data dir>
//
// Environment: NEO4J_PASSWORD (required, at least 8 characters: Neo4j's own minimum),
// NEO4J_BOLT_HOST (127.0.0.1), NEO4J_BOLT_PORT (7687), NEO4J_PAGECACHE_MB (64).
// Prints "neo4j.ready <host>:<port>" on stdout once Bolt accepts logins; stops on SIGTERM.

import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;

public final class Launcher {
    private Launcher() {}

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: Launcher <data dir>");
            System.exit(2);
        }
        String password = env("NEO4J_PASSWORD", "");
        if (password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must be set, at least 8 characters long");
            System.exit(2);
        }
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        long pageCache = ByteUnit.mebiBytes(Long.parseLong(env("NEO4J_PAGECACHE_MB", "64")));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(Path.of(args[0]).toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        // The embedded API runs with full rights, so it can set the password of the built-in user
        // on every start: the one in the environment is always the one that works, and no first
        // login has to change an initial password.
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException unchanged) {
            // A restart on an existing store with the same password: Neo4j refuses to "change" it
            // to itself, and the password in the environment already is the one that works.
            if (!String.valueOf(unchanged.getMessage()).contains("Old password and new password cannot be the same")) {
                throw unchanged;
            }
        }

        System.out.println("neo4j.ready " + host + ":" + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
