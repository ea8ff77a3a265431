namespace RestMan.Restaurants.Model;

// Rows of the restaurant schema as the service works with them.

public sealed record Restaurant(
    Guid Id, Guid OwnerUserId, string Name, string? Address, string? Phone, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Opening hours, times of day in UTC.</summary>
    public TimeOnly OpensAt { get; init; } = new(11, 0);
    public TimeOnly ClosesAt { get; init; } = new(23, 0);

    public RestaurantResponse ToResponse() =>
        new(Id, Name, Address, Phone, IsActive, MenuInput.TimeOfDay(OpensAt), MenuInput.TimeOfDay(ClosesAt), CreatedAt, UpdatedAt);
}

public sealed record Category(
    Guid Id, Guid RestaurantId, string Name, string? Description, int DisplayOrder, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public CategoryResponse ToResponse() => new(Id, RestaurantId, Name, Description, DisplayOrder, CreatedAt, UpdatedAt);
}

public sealed record Food(
    Guid Id, Guid RestaurantId, Guid? CategoryId, string Name, string? Description, decimal Price, bool IsAvailable,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The choices a guest makes when ordering it (none for a plain dish).</summary>
    public IReadOnlyList<ModifierGroup> ModifierGroups { get; init; } = [];

    /// <summary>Of <see cref="Dietary.Allergens"/>, what it contains.</summary>
    public IReadOnlyList<string> Allergens { get; init; } = [];

    /// <summary>Of <see cref="Dietary.Diets"/>, which it suits.</summary>
    public IReadOnlyList<string> Diets { get; init; } = [];

    /// <summary>Set by the store room (inventory events): no portion can be made, so it is off the menu until restocked.</summary>
    public bool SoldOut { get; init; }

    public FoodResponse ToResponse() =>
        new(Id, RestaurantId, CategoryId, Name, Description, Price, IsAvailable, CreatedAt, UpdatedAt, ModifierGroups, Allergens, Diets, SoldOut);
}
