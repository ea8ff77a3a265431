using RestMan.Billing.Infrastructure;
using RestMan.Billing.Payments;
using RestMan.Billing.Receipts;
using RestMan.Billing.IntegrationEvents.EventHandling;
using RestMan.Caching;
using RestMan.Data;
using RestMan.Email;
using RestMan.Identity.Ownership;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.Billing.Extensions;

internal static class Extensions
{
    public const string Schema = "billing";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);
        builder.AddKafkaProducer("kafka");
        builder.AddOutbox(Schema);
        builder.AddEventConsumer("billing", Schema)
            .Handle<OrderPlaced, OrderPlacedHandler>()
            .Handle<OrderStatusUpdated, OrderCancelledHandler>()
            .Handle<OrderItemsAdded, TableOrderTotalHandler>()
            .Handle<OrderItemRemoved, TableOrderTotalHandler>()
            .Handle<OrderMerged, TableOrderTotalHandler>();

        // Receipts go by email; the dev mailbox keeps its mail in Redis.
        builder.AddRedis("redis");
        builder.AddEmail();

        builder.Services.AddOptions<BillingOptions>()
            .BindConfiguration(BillingOptions.SectionName)
            .Validate(o => o.TaxRate is >= 0m and < 1m, "Billing:TaxRate must be a fraction from 0 (no tax) to below 1 (0.10 is 10 %).")
            .ValidateOnStart();

        builder.Services.AddSingleton<BillRepository>();
        builder.Services.AddSingleton<PaymentRepository>();
        builder.Services.AddSingleton<SplitRepository>();
        builder.Services.AddSingleton<DiscountRepository>();
        // The built-in simulated provider; a real one replaces this registration (and brings its own configuration).
        // Its charges are kept in Redis, so they outlive a killed Billing as a real provider's would.
        builder.Services.AddSingleton<IPaymentProvider>(sp => new SimulatedPaymentProvider(
            new RedisSimulatedLedger(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>()),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BillingOptions>>().Value.Payments.SimulatedHang));
        builder.Services.AddSingleton<RefundRepository>();
        builder.Services.AddSingleton<Settlement>();
        builder.Services.AddSingleton<Refunding>();
        builder.Services.AddHostedService<PaymentReconciler>();
        // Signed per request as the owner being served, so no service identity handler here.
        builder.Services.AddOwnedRestaurantsClient();
        builder.Services.AddHttpClient<RestaurantDetailsClient>(http => http.BaseAddress = new Uri("http://restaurants"));
        builder.Services.AddTransient<ReceiptMaker>();
        builder.Services.AddSingleton<ReceiptEmailRepository>();
        builder.Services.AddHostedService<ReceiptEmailSender>();
    }
}
