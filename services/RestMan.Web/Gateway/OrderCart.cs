namespace RestMan.Web.Gateway;

/// <summary>
/// Lines being put together before they are sent (a guest's cart, a waiter's next round): the same food chosen the same
/// way is one line with a larger quantity. Prices shown here are a preview; Orders prices the order from the menu.
/// </summary>
public sealed class OrderCart
{
    private readonly List<Entry> _lines = [];

    public sealed class Entry(MenuFood food, IReadOnlyList<Guid> options, string? note)
    {
        public MenuFood Food { get; } = food;
        public IReadOnlyList<Guid> Options { get; } = options;
        public string? Note { get; } = note;
        public int Quantity { get; set; }

        /// <summary>The food's price plus the deltas of the options chosen.</summary>
        public decimal UnitPrice => PriceOf(Food, Options);

        /// <summary>The options chosen as the guest reads them, e.g. "Large, Cheese".</summary>
        public string OptionNames => string.Join(", ", Food.Groups.SelectMany(g => g.Options).Where(o => Options.Contains(o.Id)).Select(o => o.Name));

        public bool IsSameWay(Guid foodId, IReadOnlyList<Guid> options, string? note) =>
            Food.Id == foodId && Options.Order().SequenceEqual(options.Order()) && Note == note;
    }

    public IReadOnlyList<Entry> Lines => _lines;

    public int Count => _lines.Count;

    public decimal Total => _lines.Sum(l => l.UnitPrice * l.Quantity);

    /// <summary>How many of the food are in the cart, however chosen.</summary>
    public int QuantityOf(Guid foodId) => _lines.Where(l => l.Food.Id == foodId).Sum(l => l.Quantity);

    public void Add(MenuFood food, IReadOnlyList<Guid>? options = null, string? note = null)
    {
        options ??= [];
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var line = _lines.FirstOrDefault(l => l.IsSameWay(food.Id, options, note));
        if (line is null) _lines.Add(line = new Entry(food, options, note));
        line.Quantity = Math.Min(line.Quantity + 1, 100);
    }

    public void Remove(Entry line)
    {
        if (--line.Quantity <= 0) _lines.Remove(line);
    }

    public void Clear() => _lines.Clear();

    public IReadOnlyList<CartLine> ToLines() =>
        _lines.Select(l => new CartLine(l.Food.Id, l.Quantity, l.Options.Count == 0 ? null : l.Options, l.Note)).ToList();

    public static decimal PriceOf(MenuFood food, IEnumerable<Guid> options) =>
        food.Price + food.Groups.SelectMany(g => g.Options).Where(o => options.Contains(o.Id)).Sum(o => o.PriceDelta);
}
