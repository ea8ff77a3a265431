using System.ComponentModel.DataAnnotations;

namespace RestMan.Restaurants.Model;

// Request and response bodies of the Restaurants endpoints; snake_case on the wire (ServiceDefaults' JSON options).
// Create requests carry nullable fields so a missing one is a 400 naming it, not a binding failure.

/// <summary><c>opens_at</c>/<c>closes_at</c> are times of day (HH:mm, UTC); 11:00 and 23:00 when not given.</summary>
[OpenApiExample("""{"name": "Trattoria Roma", "address": "1 Via Roma", "phone": "+39 06 1234", "opens_at": "12:00", "closes_at": "23:00"}""")]
public sealed record CreateRestaurantRequest([property: Required] string? Name, string? Address, string? Phone, string? OpensAt = null, string? ClosesAt = null);

/// <summary>Only the fields present change; <c>address</c> and <c>phone</c> are cleared by an explicit null.</summary>
public sealed record UpdateRestaurantRequest
{
    public string? Name { get; init; }
    public Optional<string?> Address { get; init; }
    public Optional<string?> Phone { get; init; }
    public bool? IsActive { get; init; }
    /// <summary>When guests are taken, HH:mm in UTC; a closing time at or before the opening time runs past midnight.</summary>
    public string? OpensAt { get; init; }
    public string? ClosesAt { get; init; }
}

/// <summary><c>opens_at</c>/<c>closes_at</c>: when the restaurant takes guests and reservations, HH:mm in UTC.</summary>
public sealed record RestaurantResponse(
    Guid Id, string Name, string? Address, string? Phone, bool IsActive, string OpensAt, string ClosesAt, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

[OpenApiExample("""{"name": "Pizza", "description": "From the wood oven", "display_order": 1}""")]
public sealed record CreateCategoryRequest([property: Required] string? Name, string? Description, int? DisplayOrder);

/// <summary>Only the fields present change; <c>description</c> is cleared by an explicit null.</summary>
public sealed record UpdateCategoryRequest
{
    public string? Name { get; init; }
    public Optional<string?> Description { get; init; }
    public int? DisplayOrder { get; init; }
}

/// <summary>The first implementation's <c>POST /categories</c>: the restaurant in the body.</summary>
public sealed record CreateCategoryInRestaurantRequest(
    [property: Required] Guid? RestaurantId, [property: Required] string? Name, string? Description, int? DisplayOrder);

/// <summary>The first implementation's <c>POST /foods</c>: the restaurant in the body.</summary>
public sealed record CreateFoodInRestaurantRequest(
    [property: Required] Guid? RestaurantId, [property: Required] string? Name, string? Description, [property: Required] decimal? Price,
    Guid? CategoryId, bool? IsAvailable);

public sealed record CategoryResponse(
    Guid Id, Guid RestaurantId, string Name, string? Description, int DisplayOrder, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary><c>modifier_groups</c>, <c>allergens</c> (of the 14 EU allergens) and <c>diets</c> (vegetarian, vegan, gluten_free) are optional.</summary>
[OpenApiExample("""{"name": "Margherita", "description": "Tomato, mozzarella, basil", "price": 12.50, "is_available": true, "modifier_groups": [{"name": "Size", "min_choices": 1, "max_choices": 1, "options": [{"name": "Small", "price_delta": 0}, {"name": "Large", "price_delta": 3.00}]}], "allergens": ["gluten", "milk"], "diets": ["vegetarian"]}""")]
public sealed record CreateFoodRequest(
    [property: Required] string? Name, string? Description, [property: Required] decimal? Price, Guid? CategoryId, bool? IsAvailable,
    IReadOnlyList<ModifierGroupInput?>? ModifierGroups = null, IReadOnlyList<string?>? Allergens = null, IReadOnlyList<string?>? Diets = null);

/// <summary>Only the fields present change; <c>description</c> and <c>category_id</c> are cleared by an explicit null.</summary>
public sealed record UpdateFoodRequest
{
    public string? Name { get; init; }
    public Optional<string?> Description { get; init; }
    public decimal? Price { get; init; }
    public Optional<Guid?> CategoryId { get; init; }
    public bool? IsAvailable { get; init; }
    /// <summary>Replaces the food's modifier groups (an empty list removes them); options keep the ids they are sent with.</summary>
    public IReadOnlyList<ModifierGroupInput?>? ModifierGroups { get; init; }
    /// <summary>Replaces the food's allergens, of the 14 EU ones.</summary>
    public IReadOnlyList<string?>? Allergens { get; init; }
    /// <summary>Replaces the food's dietary tags: vegetarian, vegan, gluten_free.</summary>
    public IReadOnlyList<string?>? Diets { get; init; }
}

/// <summary><c>sold_out</c>: the store room cannot make one more portion (inventory); off the public menu until restocked.</summary>
public sealed record FoodResponse(
    Guid Id, Guid RestaurantId, Guid? CategoryId, string Name, string? Description, decimal Price, bool IsAvailable,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ModifierGroup> ModifierGroups, IReadOnlyList<string> Allergens,
    IReadOnlyList<string> Diets, bool SoldOut = false);

/// <summary>The public menu: categories in display order with their available foods, then available foods without one.</summary>
public sealed record MenuResponse(
    Guid RestaurantId, string RestaurantName, IReadOnlyList<MenuCategory> Categories, IReadOnlyList<MenuFood> Uncategorized);

public sealed record MenuCategory(Guid Id, string Name, string? Description, int DisplayOrder, IReadOnlyList<MenuFood> Foods);

public sealed record MenuFood(
    Guid Id, string Name, string? Description, decimal Price, IReadOnlyList<ModifierGroup> ModifierGroups, IReadOnlyList<string> Allergens,
    IReadOnlyList<string> Diets);

/// <summary>What the Orders service needs to price and accept an order line, and the allergens the kitchen must see.</summary>
public sealed record InternalFood(
    Guid Id, Guid RestaurantId, string Name, decimal Price, bool IsAvailable, bool RestaurantIsActive, IReadOnlyList<ModifierGroup> ModifierGroups,
    IReadOnlyList<string> Allergens);

/// <summary>Role: <c>kitch</c> (kitchen staff, the default) or <c>waiter</c>.</summary>
public sealed record AddStaffRequest([property: Required] string? Email, string? Role = null);

public sealed record StaffMember(Guid UserId, string Email, Guid RestaurantId, string Role);

public sealed record StaffListItem(Guid UserId, string Email, Guid RestaurantId, bool IsActive, DateTimeOffset? LastVerifiedAt, string Role);
