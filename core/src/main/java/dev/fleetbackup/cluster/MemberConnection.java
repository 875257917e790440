package dev.fleetbackup.cluster;

import dev.fleetbackup.plan.ManagedKind;
import dev.fleetbackup.plan.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a pass asks of one member cluster, and nothing more: read one object or a kind, dry-run,
 * apply, create and delete. Objects travel as the API's JSON; {@code plan.VeleroCodec} reads and
 * writes the Velero ones. Every failure is a {@link MemberException} with a {@link RequestFailure},
 * so no caller inspects a client library's errors. The real one ({@link MemberClients#open}) talks
 * to the member's API server; tests use one in memory. Close it when the pass is done.
 */
public interface MemberConnection extends AutoCloseable {

  /** The AttachedCluster's name. */
  String cluster();

  /** The API server URL, for messages. */
  String server();

  /** The object as the member has it, or empty when it (or its kind) does not exist. */
  Optional<ObjectNode> get(ObjectRef ref) throws MemberException;

  /**
   * Every object of a kind in a namespace ("" for cluster-scoped kinds) carrying the given labels.
   *
   * @throws MemberException {@link RequestFailure.Kind#NOT_FOUND} when the member does not serve the
   *     kind (Velero's CRDs are not installed yet)
   */
  List<ObjectNode> list(ManagedKind kind, String namespace, Map<String, String> labels) throws MemberException;

  /** Whether the CustomResourceDefinition {@code name} exists and is established, so that its kind is served. */
  boolean crdEstablished(String name) throws MemberException;

  /** The object as a server-side apply of {@code manifest} would leave it; nothing is written. */
  ObjectNode dryRunApply(ObjectRef ref, ObjectNode manifest) throws MemberException;

  /**
   * The pass found the member holding {@code live} as {@code manifest} plans it, and sent no dry run:
   * a connection that watches the member takes {@code live} as fleet-backup's, so that a later change
   * to it is drift. Others need not know.
   */
  default void holds(ObjectRef ref, ObjectNode manifest, ObjectNode live) {}

  /**
   * Server-side applies {@code manifest} with field manager {@code plan.Conventions.FIELD_MANAGER},
   * taking ownership of its fields from other managers.
   */
  ObjectNode apply(ObjectRef ref, ObjectNode manifest) throws MemberException;

  /**
   * Creates the object, a run, which is created once and never applied again; returns it as stored.
   *
   * @throws MemberException {@link RequestFailure.Kind#CONFLICT} when it exists already
   */
  ObjectNode create(ObjectRef ref, ObjectNode manifest) throws MemberException;

  /**
   * Deletes the object, its dependents in the background.
   *
   * @throws MemberException {@link RequestFailure.Kind#NOT_FOUND} when it is gone already
   */
  void delete(ObjectRef ref) throws MemberException;

  /** Requests sent so far through this connection. */
  RequestCount requests();

  @Override
  void close();
}
