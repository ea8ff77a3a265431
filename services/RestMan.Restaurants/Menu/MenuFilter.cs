using RestMan.Restaurants.Model;

namespace RestMan.Restaurants.Menu;

/// <summary>The public menu narrowed for a guest: no food with an allergen they avoid, only foods suiting their diets.</summary>
public static class MenuFilter
{
    public static MenuResponse Apply(MenuResponse menu, IReadOnlyList<string> withoutAllergens, IReadOnlyList<string> diets)
    {
        if (withoutAllergens.Count == 0 && diets.Count == 0) return menu;
        bool Keep(MenuFood food) => !food.Allergens.Intersect(withoutAllergens).Any() && diets.All(food.Diets.Contains);
        return menu with
        {
            Categories = menu.Categories.Select(c => c with { Foods = c.Foods.Where(Keep).ToList() }).ToList(),
            Uncategorized = menu.Uncategorized.Where(Keep).ToList(),
        };
    }
}
