using Microsoft.Extensions.DependencyInjection;

namespace RestMan.Messaging;

/// <summary>One handler of one event type; resolved from the message's DI scope.</summary>
internal abstract class EventHandlerRegistration(EventDescriptor descriptor)
{
    public EventDescriptor Descriptor { get; } = descriptor;

    public abstract Task InvokeAsync(IServiceProvider services, EventContext context, CancellationToken ct);
}

internal sealed class EventHandlerRegistration<TEvent, THandler>() : EventHandlerRegistration(EventCatalog.Of<TEvent>())
    where TEvent : IIntegrationEvent<TEvent>
    where THandler : IIntegrationEventHandler<TEvent>
{
    public override Task InvokeAsync(IServiceProvider services, EventContext context, CancellationToken ct) =>
        services.GetRequiredService<THandler>().HandleAsync(context.Envelope.DataAs<TEvent>(), context, ct);
}

/// <summary>The event types this service's consumer handles, and so the topics it subscribes to.</summary>
internal sealed class EventHandlerRegistry
{
    private readonly List<EventHandlerRegistration> _registrations = [];

    public void Add(EventHandlerRegistration registration)
    {
        var duplicate = _registrations.Any(r => r.GetType() == registration.GetType());
        if (!duplicate) _registrations.Add(registration);
    }

    public IReadOnlyList<EventHandlerRegistration> For(string eventType) =>
        _registrations.Where(r => r.Descriptor.EventType == eventType).ToList();

    /// <summary>Logical topic names (without the host's prefix).</summary>
    public IReadOnlyList<string> Topics => _registrations.Select(r => r.Descriptor.Topic).Distinct().ToList();
}
