using System.Globalization;
using RestMan.Billing.Model;

namespace RestMan.Billing.Receipts;

/// <summary>One row of a receipt: a label and, for money, its amount; <see cref="Total"/> rows stand out.</summary>
public sealed record ReceiptRow(string Label, decimal? Amount, bool Total = false);

/// <summary>A titled block of rows (the lines, the amounts, the payments, the refunds).</summary>
public sealed record ReceiptSection(string Title, IReadOnlyList<ReceiptRow> Rows);

/// <summary>
/// What a receipt says, built once and rendered as HTML or PDF so both say the same to the cent: the restaurant, the
/// order number, the lines (as the bill keeps them), discount, service charge, tax, total, tips, payments and refunds.
/// </summary>
public sealed record Receipt(
    string RestaurantName, IReadOnlyList<string> RestaurantDetails, string Title, IReadOnlyList<string> Facts, IReadOnlyList<ReceiptSection> Sections)
{
    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(decimal rate) => (rate * 100m).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    public static Receipt Of(
        Bill bill, RestaurantDetailsClient.RestaurantDetails restaurant, IReadOnlyList<BillLine> lines, IReadOnlyList<Payment> payments,
        IReadOnlyList<Refund> refunds)
    {
        var details = new[] { restaurant.Address, restaurant.Phone }.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d!).ToList();
        var facts = new List<string>
        {
            $"Bill {bill.Id}",
            $"{bill.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
            $"Status: {bill.Status}",
        };
        if (bill.Covers is { } covers) facts.Add($"Covers: {covers}");

        var sections = new List<ReceiptSection>();
        // Each line with how it was ordered beneath it: the options (with what each added) and the guest's note.
        var charged = lines.Where(l => !l.Removed).SelectMany(l =>
            new[] { new ReceiptRow($"{l.Quantity} × {l.FoodName}", l.LineTotal) }
                .Concat(l.Options.Select(o => new ReceiptRow($"    {o.Name}{(o.PriceDelta != 0 ? $" ({(o.PriceDelta > 0 ? "+" : "")}{Money(o.PriceDelta)})" : "")}", null)))
                .Concat(l.Note is { Length: > 0 } note ? [new ReceiptRow($"    “{note}”", null)] : [])).ToList();
        if (charged.Count > 0) sections.Add(new ReceiptSection("Items", charged));

        var amounts = new List<ReceiptRow> { new("Subtotal", bill.Subtotal) };
        if (bill.DiscountAmount > 0)
            amounts.Add(new ReceiptRow(bill.DiscountCode is { } code ? $"Discount ({code})" : $"Discount ({bill.DiscountReason ?? "staff"})", -bill.DiscountAmount));
        if (bill.ServiceChargeAmount > 0) amounts.Add(new ReceiptRow($"Service charge {Percent(bill.Terms.EffectiveServiceChargeRate)}", bill.ServiceChargeAmount));
        amounts.Add(new ReceiptRow($"Tax {Percent(bill.TaxRate)}", bill.TaxAmount));
        amounts.Add(new ReceiptRow("Total", bill.TotalAmount, Total: true));
        if (bill.TipAmount > 0) amounts.Add(new ReceiptRow("Tips", bill.TipAmount));
        sections.Add(new ReceiptSection("Amounts", amounts));

        var paid = payments.Where(p => p.Status is PaymentStatus.Captured or PaymentStatus.Refunded).ToList();
        if (paid.Count > 0)
        {
            var rows = paid.Select(p => new ReceiptRow(
                $"{Method(p.Method)}{(p.PartNo is { } part ? $", part {part}" : "")}{(p.Tip > 0 ? $" (tip {Money(p.Tip)})" : "")}", p.Amount)).ToList();
            rows.Add(new ReceiptRow("Paid", bill.AmountPaid, Total: true));
            sections.Add(new ReceiptSection("Payments", rows));
        }

        var issued = refunds.Where(r => r.Status == RefundStatus.Issued).ToList();
        if (issued.Count > 0)
        {
            var rows = issued.SelectMany(r => r.Payments.Where(p => p.Status == RefundStatus.Refunded)
                .Select(p => new ReceiptRow($"Refund to {Method(p.Method)}{(r.Reason is { } why ? $" ({why})" : "")}", -p.Amount))).ToList();
            rows.Add(new ReceiptRow("Refunded", -bill.AmountRefunded));
            rows.Add(new ReceiptRow("Net paid", bill.AmountPaid - bill.AmountRefunded, Total: true));
            sections.Add(new ReceiptSection("Refunds", rows));
        }
        else if (bill.BalanceDue > 0 && bill.IsOpen)
            sections.Add(new ReceiptSection("Still owed", [new ReceiptRow("Balance due", bill.BalanceDue, Total: true)]));

        var title = bill.OrderNumber is { } number ? $"Order {number}" : $"Order {bill.OrderId.ToString()[..8]}";
        return new Receipt(restaurant.Name, details, title, facts, sections);
    }

    private static string Method(string method) => method switch
    {
        PaymentMethod.Cash => "Cash",
        PaymentMethod.Card => "Card",
        PaymentMethod.Qr => "QR",
        PaymentMethod.EWallet => "E-wallet",
        _ => method,
    };
}
