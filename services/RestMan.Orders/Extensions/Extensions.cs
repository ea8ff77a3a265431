using RestMan.Caching;
using RestMan.Data;
using RestMan.Email;
using RestMan.Identity.Ownership;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Orders.Infrastructure;
using RestMan.Orders.IntegrationEvents.EventHandling;
using RestMan.Orders.Notifications;

namespace RestMan.Orders.Extensions;

internal static class Extensions
{
    public const string Schema = "orders";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);
        builder.AddKafkaProducer("kafka");
        builder.AddOutbox(Schema);
        builder.AddEventConsumer("orders", Schema)
            .Handle<KitchenTicketAccepted, KitchenTicketStepHandler<KitchenTicketAccepted>>()
            .Handle<KitchenTicketStarted, KitchenTicketStepHandler<KitchenTicketStarted>>()
            .Handle<KitchenTicketReady, KitchenTicketStepHandler<KitchenTicketReady>>()
            .Handle<KitchenTicketDelivered, KitchenTicketStepHandler<KitchenTicketDelivered>>()
            .Handle<UserLoginSucceeded, CustomerSignedInHandler>()
            .Handle<BillPaid, BillPaidHandler>();
        // The dev mailbox keeps its mail in Redis.
        builder.AddRedis("redis");
        builder.AddEmail();

        builder.Services.AddSingleton<OrderRepository>();
        builder.Services.AddSingleton<OrderLifecycle>();
        builder.Services.AddSingleton<TableRepository>();
        builder.Services.AddSingleton<TableOrders>();
        builder.Services.AddSingleton<OrderNumbers>();
        builder.Services.AddSingleton<IdempotentPlacement>();
        builder.Services.AddSingleton<ReadyEmailRepository>();
        builder.Services.AddHostedService<ReadyEmailSender>();
        builder.Services.AddSingleton<ReservationRepository>();
        builder.Services.AddHostedService<ReservationEmailSender>();
        builder.Services.AddHostedService<ReservedSoonSweep>();
        builder.Services.AddHttpClient<RestaurantsClient>(http => http.BaseAddress = new Uri("http://restaurants"))
            .AddHttpMessageHandler<ServiceIdentityHandler>();
        // Signed per request as the owner being served, so no service identity handler here.
        builder.Services.AddOwnedRestaurantsClient();
    }
}
