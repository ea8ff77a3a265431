namespace RestMan.Billing.Model;

public static class SplitKind
{
    public const string Even = "even", Items = "items";
}

/// <summary>How a bill's total is shared among its parts: to the cent, the parts always add up to the total.</summary>
public static class SplitRules
{
    public const int MaxParts = 50;

    /// <summary><paramref name="guests"/> equal parts; the cents that do not divide go to the first parts, one each.</summary>
    public static IReadOnlyList<BillPart> Evenly(decimal total, int guests)
    {
        var cents = (long)(total * 100m);
        var share = cents / guests;
        var left = cents - share * guests;
        return Enumerable.Range(1, guests).Select(n => new BillPart(n, (share + (n <= left ? 1 : 0)) / 100m, null)).ToList();
    }

    /// <summary>
    /// Each part pays for its lines: its share of the total is its lines' share of the subtotal (so the discount, the
    /// service charge and the tax fall on each in proportion), in cents; the last part takes what rounding leaves.
    /// </summary>
    public static IReadOnlyList<BillPart> ByItems(decimal total, IReadOnlyList<BillLine> lines, IReadOnlyList<IReadOnlyList<int>> parts)
    {
        var totals = lines.ToDictionary(l => l.LineNo, l => l.LineTotal);
        var subtotal = parts.SelectMany(p => p).Sum(n => totals[n]);
        var result = new List<BillPart>();
        var given = 0m;
        for (var i = 0; i < parts.Count; i++)
        {
            var amount = i == parts.Count - 1
                ? total - given
                : subtotal == 0m ? 0m : Money.Round(total * parts[i].Sum(n => totals[n]) / subtotal);
            given += amount;
            result.Add(new BillPart(i + 1, amount, parts[i]));
        }
        return result;
    }

    /// <summary>
    /// What is wrong with a split by items, or null: every line still on the bill in exactly one part, no other line
    /// numbers, no empty part.
    /// </summary>
    public static string? WhyNot(IReadOnlyList<BillLine> lines, IReadOnlyList<IReadOnlyList<int>> parts)
    {
        if (parts.Count is < 2 or > MaxParts) return $"must name 2 to {MaxParts} parts.";
        if (parts.Any(p => p.Count == 0)) return "must each name at least one line (line_nos).";
        var open = lines.Where(l => !l.Removed).Select(l => l.LineNo).ToHashSet();
        var named = parts.SelectMany(p => p).ToList();
        if (named.Where(n => !open.Contains(n)).Select(n => (int?)n).FirstOrDefault() is { } unknown)
            return $"name line {unknown}, which is not on the bill.";
        if (named.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice) return $"name line {twice.Key} more than once.";
        if (open.Except(named).Order().Select(n => (int?)n).FirstOrDefault() is { } missing)
            return $"leave out line {missing}; every line must be in one part.";
        return null;
    }
}
