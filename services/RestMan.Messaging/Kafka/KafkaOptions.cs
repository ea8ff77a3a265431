namespace RestMan.Messaging;

/// <summary>
/// How this host talks to Kafka. <see cref="BootstrapServers"/> comes from <c>ConnectionStrings:&lt;name&gt;</c>
/// (as Aspire gives it); the rest may be tuned under "Messaging:Kafka".
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Messaging:Kafka";

    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// How long the producer keeps retrying one message before reporting it failed (then the outbox retries it). The
    /// outbox relay's lease is derived from it, so a relay stuck on a publish never outlives its lease.
    /// </summary>
    public TimeSpan MessageTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap of the reconnect backoff: low, so a broker that comes back is used again within a second.</summary>
    public TimeSpan ReconnectBackoffMax { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a silent consumer stays in its group. Short (the brokers' default minimum, not librdkafka's 45 s), so
    /// partitions of a crashed instance, or a member lost while the broker was unreachable, move on within seconds.
    /// </summary>
    public TimeSpan ConsumerSessionTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// How often a consumer commits the offsets it stored after their effects were committed. Commits run in the
    /// background; after a crash at most this much is redelivered, and the inbox drops it.
    /// </summary>
    public TimeSpan ConsumerCommitInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Longest a consumer's fetch waits at the broker when nothing is there. Kafka answers as soon as data arrives, so
    /// this only bounds idle polling; the dev broker (librdkafka's mock) always waits it out, so there it is latency.
    /// </summary>
    public TimeSpan FetchWaitMax { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// This replica's stable id (<c>RestMan:ReplicaId</c>, set by the AppHost: the service name with one replica, Aspire's
    /// instance id of each replica with several; a deployment sets it to e.g. the pod's name). Unique per replica and the
    /// same after that replica restarts. When set, every consumer joins its group as a static member
    /// (<c>group.instance.id</c> = group + this id): a replica that restarts within the session timeout gets its own
    /// partitions back without moving anyone else's. Empty: dynamic membership (tests' in-process consumers).
    /// </summary>
    public string? ReplicaId { get; set; }

    /// <summary>librdkafka debug contexts (e.g. "broker,eos,cgrp"), logged at Debug level; empty for none.</summary>
    public string? Debug { get; set; }

    /// <summary>How long the "kafka" health check waits for cluster metadata.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
