using RestMan.Kitchen.Infrastructure;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.IntegrationEvents.EventHandling;

/// <summary>The kitchen remembers each food's menu category: a station routed a category gets that food's lines.</summary>
public sealed class MenuFoodCreatedHandler(StationRepository stations) : IIntegrationEventHandler<MenuFoodCreated>
{
    public Task HandleAsync(MenuFoodCreated e, EventContext context, CancellationToken ct) =>
        stations.RememberFoodAsync(context.Tx, e.FoodId, e.RestaurantId, e.CategoryId, ct);
}

public sealed class MenuFoodUpdatedHandler(StationRepository stations) : IIntegrationEventHandler<MenuFoodUpdated>
{
    public Task HandleAsync(MenuFoodUpdated e, EventContext context, CancellationToken ct) =>
        stations.RememberFoodAsync(context.Tx, e.FoodId, e.RestaurantId, e.CategoryId, ct);
}
