using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RestMan.Messaging;

/// <summary>Declares which integration events the service's consumer handles, and with what.</summary>
public sealed class EventConsumerBuilder
{
    private readonly EventHandlerRegistry _registry;

    internal EventConsumerBuilder(IServiceCollection services, EventHandlerRegistry registry)
    {
        Services = services;
        _registry = registry;
    }

    public IServiceCollection Services { get; }

    /// <summary>Handles <typeparamref name="TEvent"/> with <typeparamref name="THandler"/> (scoped, one per message).</summary>
    public EventConsumerBuilder Handle<TEvent, THandler>()
        where TEvent : IIntegrationEvent<TEvent>
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        Services.TryAddScoped<THandler>();
        _registry.Add(new EventHandlerRegistration<TEvent, THandler>());
        return this;
    }
}
