package io.sparkmlp.train.reduce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientBootstrap;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.netty.SparkTransportConf;
import org.apache.spark.network.server.OneForOneStreamManager;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.TransportConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The reduction tree's network: one server per JVM (driver and each executor) on Spark's own
 * Netty transport ({@code spark-network-common}, what the block manager and shuffle use), and
 * clients to other JVMs' servers. Executors' Spark RPC environments run in client mode and
 * cannot accept calls, so the tree brings its own server; it authenticates (and encrypts, with
 * {@code spark.network.crypto.enabled}) exactly as Spark's block transfer does when
 * {@code spark.authenticate} is on.
 *
 * <p>Messages are one-way, raw little-endian bytes ({@link Message}); each is dispatched to the
 * {@link ReduceNode} of its run and launch, or dropped when that node is gone (a superseded
 * launch). The server binds to the host the JVM's block manager advertises, on an ephemeral port
 * unless {@value #PORT_CONF} names one; it lives as long as the JVM.
 */
public final class ReduceTransport {
  /** Spark conf key of the port the tree's server binds to (0: any free port). */
  public static final String PORT_CONF = "spark.mlp.reduce.port";
  private static final Logger LOG = LoggerFactory.getLogger(ReduceTransport.class);
  private static ReduceTransport instance;

  private final Map<RunKey, ReduceNode> nodes = new ConcurrentHashMap<>();
  private final SparkEnv env;
  private final TransportContext context;
  private final TransportServer server;
  private final TransportClientFactory clients;
  private final String host;

  private ReduceTransport(SparkEnv env) {
    this.env = env;
    SparkConf conf = env.conf();
    TransportConf transportConf = SparkTransportConf.fromSparkConf(conf, "spark-mlp", 1,
        Option.empty(), Option.empty());
    List<TransportServerBootstrap> serverBoot = new ArrayList<>();
    List<TransportClientBootstrap> clientBoot = new ArrayList<>();
    if (env.securityManager().isAuthenticationEnabled()) {
      serverBoot.add(new AuthServerBootstrap(transportConf, env.securityManager()));
      clientBoot.add(new AuthClientBootstrap(transportConf, conf.getAppId(), env.securityManager()));
    }
    this.host = env.blockManager().blockManagerId().host();
    this.context = new TransportContext(transportConf, new Handler(), false, true);
    this.server = context.createServer(host, conf.getInt(PORT_CONF, 0), serverBoot);
    this.clients = context.createClientFactory(clientBoot);
    LOG.info("reduction tree server of {} listening on {}:{}", env.executorId(), host,
        server.getPort());
  }

  /**
   * This JVM's transport for the current Spark environment, started on first use (and again
   * when a new SparkContext replaced the one it was started for, whose settings — security
   * among them — may differ).
   */
  public static synchronized ReduceTransport get() {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      throw new IllegalStateException("the reduction tree needs a running Spark environment");
    }
    if (instance != null && instance.env != env) {
      instance.close();
      instance = null;
    }
    if (instance == null) {
      instance = new ReduceTransport(env);
    }
    return instance;
  }

  private void close() {
    nodes.values().forEach(ReduceNode::finish);
    nodes.clear();
    clients.close();
    server.close();
    context.close();
  }

  public String host() {
    return host;
  }

  public int port() {
    return server.getPort();
  }

  /** A client to the tree server at {@code host:port} (cached and shared by Spark's factory). */
  TransportClient client(String toHost, int toPort) {
    try {
      return clients.createClient(toHost, toPort);
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the reduction tree server at " + toHost + ":"
          + toPort + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + toHost + ":" + toPort, e);
    }
  }

  /** A link to the tree server at {@code host:port} for messages of {@code run}. */
  public Link link(String toHost, int toPort, RunKey run) {
    return Link.network(client(toHost, toPort), run);
  }

  /**
   * Registers {@code node} to receive its run's messages, or returns the node already registered
   * for that run and launch (the first task of an executor creates it, the others share it).
   * Nodes of earlier launches of the same run are finished and dropped.
   */
  public ReduceNode register(ReduceNode node) {
    ReduceNode existing = nodes.putIfAbsent(node.run(), node);
    if (existing != null) {
      return existing;
    }
    nodes.entrySet().removeIf(e -> {
      if (node.run().supersedes(e.getKey())) {
        e.getValue().finish();
        return true;
      }
      return false;
    });
    return node;
  }

  /** The node registered for {@code run}, or null. */
  public ReduceNode node(RunKey run) {
    return nodes.get(run);
  }

  /** Stops routing messages to {@code run}'s node. */
  public void unregister(RunKey run) {
    nodes.remove(run);
  }

  private final class Handler extends RpcHandler {
    private final StreamManager streams = new OneForOneStreamManager();

    @Override
    public void receive(TransportClient client, ByteBuffer message) {
      Message m;
      try {
        m = Message.read(message.duplicate());
      } catch (IllegalArgumentException e) {
        LOG.warn("dropped a malformed message from {}: {}", client.getSocketAddress(), e.getMessage());
        return;
      }
      ReduceNode node = nodes.get(m.run);
      if (node == null) {
        LOG.debug("dropped a message for {}, which has no node here", m.run);
        return;
      }
      try {
        node.onMessage(message);
      } catch (RuntimeException e) {
        LOG.warn("reduction node {} of {} failed on a message from {}", node.index(), m.run,
            client.getSocketAddress(), e);
        node.fail("reduction node " + node.index() + " failed: " + e);
      }
    }

    @Override
    public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
      callback.onFailure(new UnsupportedOperationException("the reduction tree takes one-way messages only"));
    }

    @Override
    public StreamManager getStreamManager() {
      return streams;
    }
  }
}
