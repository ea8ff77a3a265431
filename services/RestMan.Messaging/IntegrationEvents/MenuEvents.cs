namespace RestMan.Messaging.IntegrationEvents;

// Menu events: topic menu.events, key: restaurant id, so one restaurant's menu changes stay in order.

public sealed record MenuCategoryCreated(Guid RestaurantId, Guid CategoryId, string Name, int? DisplayOrder)
    : IIntegrationEvent<MenuCategoryCreated>
{
    public static string EventType => "menu.category_created";
}

public sealed record MenuCategoryUpdated(Guid RestaurantId, Guid CategoryId, string Name, int? DisplayOrder)
    : IIntegrationEvent<MenuCategoryUpdated>
{
    public static string EventType => "menu.category_updated";
}

public sealed record MenuCategoryDeleted(Guid RestaurantId, Guid CategoryId, string Name, int? DisplayOrder)
    : IIntegrationEvent<MenuCategoryDeleted>
{
    public static string EventType => "menu.category_deleted";
}

public sealed record MenuFoodCreated(
    Guid RestaurantId, Guid FoodId, Guid? CategoryId, string? CategoryName, string Name, decimal Price, bool IsAvailable)
    : IIntegrationEvent<MenuFoodCreated>
{
    public static string EventType => "menu.food_created";
}

public sealed record MenuFoodUpdated(
    Guid RestaurantId, Guid FoodId, Guid? CategoryId, string? CategoryName, string Name, decimal Price, bool IsAvailable)
    : IIntegrationEvent<MenuFoodUpdated>
{
    public static string EventType => "menu.food_updated";
}

/// <summary>A food was soft-deleted; the last known state is carried so consumers need not look it up.</summary>
public sealed record MenuFoodDeleted(
    Guid RestaurantId, Guid FoodId, Guid? CategoryId, string? CategoryName, string Name, decimal Price, bool IsAvailable)
    : IIntegrationEvent<MenuFoodDeleted>
{
    public static string EventType => "menu.food_deleted";
}
