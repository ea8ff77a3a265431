namespace RestMan.Messaging;

/// <summary>
/// A fact one service publishes for others: the <c>data</c> of an <see cref="EventEnvelope"/>. Usable wherever a
/// type argument is needed (lists, delegates); implement it through <see cref="IIntegrationEvent{TSelf}"/>.
/// Records implementing it are pure payloads; their topic and key are in <see cref="EventCatalog"/>.
/// </summary>
public interface IIntegrationEvent;

/// <summary>
/// An integration event type with its wire name. Split from <see cref="IIntegrationEvent"/> because an interface
/// with static abstract members cannot be a type argument (CS8920).
/// </summary>
public interface IIntegrationEvent<TSelf> : IIntegrationEvent where TSelf : IIntegrationEvent<TSelf>
{
    /// <summary>The wire name, e.g. <c>order.placed</c>.</summary>
    static abstract string EventType { get; }

    /// <summary>The payload's schema version, carried in the envelope; bump it on a breaking change.</summary>
    static virtual int Version => 1;
}
