namespace RestMan.Restaurants.Model;

/// <summary>One choice of a modifier group (e.g. "Large" of "Size"), with what it adds to the food's price (may be 0 or negative).</summary>
public sealed record ModifierOption(Guid Id, string Name, decimal PriceDelta);

/// <summary>A group of choices on a food: a guest picks between <c>min_choices</c> and <c>max_choices</c> of its options.</summary>
public sealed record ModifierGroup(Guid Id, string Name, int MinChoices, int MaxChoices, IReadOnlyList<ModifierOption> Options);

/// <summary>An owner's modifier group; an option without <c>id</c> gets a new one, an option with one keeps it.</summary>
public sealed record ModifierGroupInput(Guid? Id, string? Name, int? MinChoices, int? MaxChoices, IReadOnlyList<ModifierOptionInput?>? Options);

public sealed record ModifierOptionInput(Guid? Id, string? Name, decimal? PriceDelta);

/// <summary>The 14 allergens EU law asks a menu to declare, and the dietary tags a food may carry: fixed lists.</summary>
public static class Dietary
{
    public static readonly IReadOnlyList<string> Allergens =
    [
        "celery", "gluten", "crustaceans", "eggs", "fish", "lupin", "milk", "molluscs", "mustard", "nuts", "peanuts", "sesame",
        "soya", "sulphites",
    ];

    public static readonly IReadOnlyList<string> Diets = ["vegetarian", "vegan", "gluten_free"];

    /// <summary>A tag as written by a person ("Gluten-Free") in the form the lists use ("gluten_free").</summary>
    public static string Normalize(string tag) => tag.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
}

/// <summary>What acceptable modifier groups, allergens and dietary tags are.</summary>
public static class FoodDetailsInput
{
    public const int MaxGroups = 10;
    public const int MaxOptions = 20;
    public const decimal MaxPriceDelta = 10_000.00m;

    /// <summary>The groups as stored, or null when not given or invalid (each fault named in <paramref name="rules"/>).</summary>
    public static IReadOnlyList<ModifierGroup>? ModifierGroups(this InputRules rules, IReadOnlyList<ModifierGroupInput?>? groups, string field = "modifier_groups")
    {
        if (groups is null) return null;
        if (groups.Count > MaxGroups) { rules.Add(field, $"may contain at most {MaxGroups} groups."); return null; }
        var result = new List<ModifierGroup>();
        var optionIds = new HashSet<Guid>();
        for (var g = 0; g < groups.Count; g++)
        {
            var at = $"{field}[{g}]";
            if (groups[g] is not { } group) { rules.Add(at, "is required."); continue; }
            var name = rules.Name(group.Name, field: $"{at}.name");
            var options = group.Options ?? [];
            if (options.Count is 0 or > MaxOptions) rules.Add($"{at}.options", $"must contain 1 to {MaxOptions} options.");
            var min = group.MinChoices ?? 0;
            var max = group.MaxChoices ?? 1;
            if (min < 0 || min > options.Count) rules.Add($"{at}.min_choices", "must be between 0 and the number of options.");
            if (max < 1 || max > options.Count || max < min) rules.Add($"{at}.max_choices", "must be at least 1 and min_choices, and at most the number of options.");
            var parsed = new List<ModifierOption>();
            for (var o = 0; o < options.Count; o++)
            {
                var oat = $"{at}.options[{o}]";
                if (options[o] is not { } option) { rules.Add(oat, "is required."); continue; }
                var optionName = rules.Name(option.Name, field: $"{oat}.name");
                var delta = option.PriceDelta ?? 0m;
                if (decimal.Round(delta, 2) != delta) rules.Add($"{oat}.price_delta", "must have at most 2 decimal places.");
                else if (Math.Abs(delta) > MaxPriceDelta) rules.Add($"{oat}.price_delta", $"must be between -{MaxPriceDelta} and {MaxPriceDelta}.");
                var id = option.Id ?? Guid.NewGuid();
                if (!optionIds.Add(id)) rules.Add($"{oat}.id", "is already the id of another option.");
                parsed.Add(new ModifierOption(id, optionName ?? "", delta));
            }
            result.Add(new ModifierGroup(group.Id ?? Guid.NewGuid(), name ?? "", min, max, parsed));
        }
        return rules.IsValid ? result : null;
    }

    /// <summary>Distinct tags of <paramref name="allowed"/>, normalized and in the list's order; null when not given.</summary>
    public static IReadOnlyList<string>? Tags(this InputRules rules, IReadOnlyList<string?>? tags, IReadOnlyList<string> allowed, string field)
    {
        if (tags is null) return null;
        var chosen = new HashSet<string>();
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i] is { } text ? Dietary.Normalize(text) : "";
            if (!allowed.Contains(tag)) rules.Add($"{field}[{i}]", $"must be one of {string.Join(", ", allowed)}.");
            else chosen.Add(tag);
        }
        return allowed.Where(chosen.Contains).ToList();
    }
}
