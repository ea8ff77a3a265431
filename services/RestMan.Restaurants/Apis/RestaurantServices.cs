using RestMan.Data;
using RestMan.Restaurants.Infrastructure;
using RestMan.Restaurants.Menu;

namespace RestMan.Restaurants.Apis;

/// <summary>What the Restaurants endpoints need, bound with [AsParameters].</summary>
public sealed class RestaurantServices(
    Database database,
    RestaurantRepository restaurants,
    CategoryRepository categories,
    FoodRepository foods,
    MenuCache menuCache,
    TimeProvider clock)
{
    public Database Database { get; } = database;
    public RestaurantRepository Restaurants { get; } = restaurants;
    public CategoryRepository Categories { get; } = categories;
    public FoodRepository Foods { get; } = foods;
    public MenuCache MenuCache { get; } = menuCache;
    public TimeProvider Clock { get; } = clock;

}
