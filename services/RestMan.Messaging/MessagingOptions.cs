namespace RestMan.Messaging;

/// <summary>Host-wide messaging settings, bound from the "Messaging" configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>
    /// Prepended to every topic this host produces to or consumes from ("" in production). Lets tests and shared
    /// clusters give each run its own topics without new event types.
    /// </summary>
    public string TopicPrefix { get; set; } = "";

    /// <summary>The envelope's <c>source</c>: the producing service. Defaults to OTEL_SERVICE_NAME, else the application name.</summary>
    public string Source { get; set; } = "";

    public string TopicOf(EventDescriptor descriptor) => TopicPrefix + descriptor.Topic;
}
