using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Inventory;

/// <summary>What an owner and the kitchen do in the store room, through the gateway.</summary>
public static class InventoryFlow
{
    /// <summary>A new stock item in grams, its shelf empty until counted.</summary>
    public static async Task<Guid> CreateItemAsync(Restaurant r, string name, string sku, decimal reorderLevel)
    {
        using var created = await r.Owner.Client.PostAsJsonAsync("/inventory/items",
            new { restaurant_id = r.Id, name, sku, unit = "g", minimum = 100m, reorder_level = reorderLevel, unit_cost = 0.012m });
        await created.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The kitchen counts what is on the shelf.</summary>
    public static async Task CountAsync(Restaurant r, Guid item, decimal counted)
    {
        using var response = await r.Kitchen.Client.PostAsJsonAsync($"/inventory/items/{item}/counts", new { counted, reason = "opening count" });
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>The owner sets what one portion of the food uses.</summary>
    public static async Task SaveRecipeAsync(Restaurant r, Guid foodId, params (Guid Item, decimal Quantity)[] lines)
    {
        using var recipe = await r.Owner.Client.PutAsJsonAsync($"/inventory/recipes/{foodId}",
            new { restaurant_id = r.Id, lines = lines.Select(l => new { stock_item_id = l.Item, quantity = l.Quantity }) });
        await recipe.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    /// <summary>The restaurant's stock items as the owner's stock list shows them.</summary>
    public static async Task<IReadOnlyList<JsonElement>> ItemsAsync(Restaurant r) =>
        (await r.Owner.Client.GetOkAsync($"/inventory/items?restaurant_id={r.Id}")).EnumerateArray().ToList();

    public static async Task<JsonElement> ItemAsync(Restaurant r, Guid item) =>
        (await ItemsAsync(r)).Single(i => i.GetProperty("id").GetGuid() == item);

    /// <summary>The item's whole ledger, page after page (newest first).</summary>
    public static async Task<IReadOnlyList<JsonElement>> MovementsAsync(Restaurant r, Guid item)
    {
        var moves = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var rows = (await r.Owner.Client.GetOkAsync($"/inventory/items/{item}/movements?page={page}&page_size=100")).EnumerateArray().ToList();
            moves.AddRange(rows);
            if (rows.Count < 100) return moves;
        }
    }
}
