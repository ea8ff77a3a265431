using Microsoft.Extensions.Options;
using RestMan.Billing.Infrastructure;
using RestMan.Billing.Model;
using RestMan.Email;

namespace RestMan.Billing.Receipts;

/// <summary>A bill's receipt as it stands now, from the bill, its lines, payments and refunds and the restaurant's details.</summary>
public sealed class ReceiptMaker(
    BillRepository bills, SplitRepository split, PaymentRepository payments, RefundRepository refunds, RestaurantDetailsClient restaurants,
    IOptions<BillingOptions> options)
{
    /// <exception cref="RestMan.Identity.Ownership.RestaurantsUnavailableException">Restaurants did not answer.</exception>
    public async Task<Receipt> OfAsync(Bill bill, CancellationToken ct) =>
        Receipt.Of(bill, await restaurants.GetAsync(bill.RestaurantId, ct), await split.LinesAsync(bill.Id, ct),
            await payments.ListByBillAsync(bill.Id, ct), await refunds.ListByBillAsync(bill.Id, ct));

    public static string FileName(Bill bill) => $"receipt-{bill.OrderNumber ?? bill.Id.ToString()}";

    public byte[] Pdf(Receipt receipt) => ReceiptPdf.Render(receipt, options.Value.Receipts.FontDirectory);

    /// <summary>The receipt email of bill <paramref name="billId"/> to <paramref name="to"/>: HTML body, plain-text alternative, the PDF attached.</summary>
    public async Task<EmailMessage?> EmailAsync(Guid billId, string to, CancellationToken ct)
    {
        if (await bills.FindAsync(billId, ct) is not { } bill) return null;
        var receipt = await OfAsync(bill, ct);
        return new EmailMessage(to, $"Your receipt from {receipt.RestaurantName} — {receipt.Title}", ReceiptText.Render(receipt),
            ReceiptHtml.Render(receipt), [new EmailAttachment(FileName(bill) + ".pdf", "application/pdf", Pdf(receipt))]);
    }
}

/// <summary>The receipt as plain text: the email's alternative to its HTML.</summary>
public static class ReceiptText
{
    public static string Render(Receipt receipt)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(receipt.RestaurantName);
        foreach (var detail in receipt.RestaurantDetails) text.AppendLine(detail);
        text.AppendLine().AppendLine(receipt.Title);
        foreach (var fact in receipt.Facts) text.AppendLine(fact);
        foreach (var section in receipt.Sections)
        {
            text.AppendLine().AppendLine(section.Title.ToUpperInvariant());
            foreach (var row in section.Rows)
                text.AppendLine(row.Amount is { } amount ? $"{row.Label,-36} {Receipt.Money(amount),10}" : row.Label);
        }
        return text.ToString();
    }
}
