using RestMan.Data;
using RestMan.Identity.Ownership;
using RestMan.Kitchen.Infrastructure;
using RestMan.Kitchen.IntegrationEvents.EventHandling;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Kitchen.Extensions;

internal static class Extensions
{
    public const string Schema = "kitchen";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);
        builder.AddKafkaProducer("kafka");
        builder.AddOutbox(Schema);
        builder.AddEventConsumer("kitchen", Schema)
            .Handle<OrderPlaced, OrderPlacedHandler>()
            .Handle<OrderStatusUpdated, OrderClosedHandler>()
            .Handle<OrderItemsAdded, OrderItemsAddedHandler>()
            .Handle<OrderItemRemoved, OrderItemRemovedHandler>()
            .Handle<OrderMerged, OrderMergedHandler>()
            .Handle<OrderTableMoved, OrderTableMovedHandler>()
            .Handle<MenuFoodCreated, MenuFoodCreatedHandler>()
            .Handle<MenuFoodUpdated, MenuFoodUpdatedHandler>();

        builder.Services.AddSingleton<TicketRepository>();
        builder.Services.AddSingleton<TicketProgress>();
        builder.Services.AddSingleton<StationRepository>();
        builder.Services.AddSingleton<TicketOpening>();
        builder.Services.AddSingleton<KitchenSettingsRepository>();
        builder.Services.AddSingleton<DelaySweep>();
        builder.Services.AddHostedService<DelaySweepService>();
        // Signed per request as the owner being served, so no service identity handler here.
        builder.Services.AddOwnedRestaurantsClient();
    }
}
