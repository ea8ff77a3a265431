using RestMan.Caching;
using RestMan.Data;
using RestMan.Email;
using RestMan.Identity.Ownership;
using RestMan.Inventory.Infrastructure;
using RestMan.Inventory.IntegrationEvents.EventHandling;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Inventory.Extensions;

internal static class Extensions
{
    public const string Schema = "inventory";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);
        builder.AddKafkaProducer("kafka");
        builder.AddOutbox(Schema);
        // Stock follows the orders through the inbox, never a call on the ordering path.
        builder.AddEventConsumer("inventory", Schema)
            .Handle<OrderPlaced, OrderPlacedHandler>()
            .Handle<OrderItemsAdded, OrderItemsAddedHandler>()
            .Handle<OrderItemRemoved, OrderItemRemovedHandler>()
            .Handle<OrderMerged, OrderMergedHandler>()
            .Handle<OrderStatusUpdated, OrderClosedHandler>();
        // Purchase orders are emailed; the dev mailbox keeps its mail in Redis.
        builder.AddRedis("redis");
        builder.AddEmail();

        builder.Services.AddSingleton<StockLedger>();
        builder.Services.AddSingleton<OrderStock>();
        builder.Services.AddSingleton<StockRepository>();
        builder.Services.AddSingleton<RecipeRepository>();
        builder.Services.AddSingleton<PurchasingRepository>();
        builder.Services.AddSingleton<UsageReports>();
        // Signed per request as the owner being served, so no service identity handler here.
        builder.Services.AddOwnedRestaurantsClient();
    }
}
