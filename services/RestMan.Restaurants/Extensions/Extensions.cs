using RestMan.Caching;
using RestMan.Data;
using RestMan.Messaging.IntegrationEvents;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.IntegrationEvents.EventHandling;
using RestMan.Restaurants.Menu;
using RestMan.Restaurants.Services;

namespace RestMan.Restaurants.Extensions;

internal static class Extensions
{
    public const string Schema = "restaurant";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddCockroachDataSource("cockroach");
        builder.AddMigrations(Schema, typeof(Extensions).Assembly);
        builder.AddRedis("redis");
        builder.AddKafkaProducer("kafka");
        builder.AddOutbox(Schema);
        builder.AddEventConsumer("restaurants", Schema)
            .Handle<InventoryFoodAvailabilityChanged, FoodAvailabilityHandler>();

        builder.Services.AddSingleton<RestaurantRepository>();
        builder.Services.AddSingleton<CategoryRepository>();
        builder.Services.AddSingleton<FoodRepository>();
        builder.Services.AddSingleton<MenuReader>();
        builder.Services.AddSingleton<MenuCache>();

        builder.Services.AddHttpClient<AuthStaffClient>(http => http.BaseAddress = new Uri("http://auth"))
            .AddHttpMessageHandler<ServiceIdentityHandler>();
    }
}
