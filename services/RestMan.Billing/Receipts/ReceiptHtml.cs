using System.Net;
using System.Text;

namespace RestMan.Billing.Receipts;

/// <summary>The receipt as one HTML page; its print stylesheet fits it to a receipt printer's 80 mm roll.</summary>
public static class ReceiptHtml
{
    private const string Style =
        """
        body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; color: #111; }
        header { text-align: center; } h1 { font-size: 1.3rem; margin: 0; } h2 { font-size: 1.1rem; margin: .5rem 0; }
        h3 { font-size: .9rem; text-transform: uppercase; border-bottom: 1px dashed #999; margin: 1rem 0 .3rem; }
        p { margin: .1rem 0; } .facts { color: #555; font-size: .85rem; }
        table { width: 100%; border-collapse: collapse; } td { padding: .1rem 0; } td.amount { text-align: right; white-space: nowrap; }
        tr.total td { font-weight: bold; border-top: 1px solid #111; }
        @media print {
          @page { size: 80mm auto; margin: 4mm; }
          body { margin: 0; max-width: none; font-size: 9pt; }
          .no-print { display: none; }
        }
        """;

    public static string Render(Receipt receipt)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E($"{receipt.RestaurantName} — {receipt.Title}")).Append("</title><style>").Append(Style).Append("</style></head><body>\n<header>");
        html.Append("<h1>").Append(E(receipt.RestaurantName)).Append("</h1>");
        foreach (var detail in receipt.RestaurantDetails) html.Append("<p>").Append(E(detail)).Append("</p>");
        html.Append("<h2 class=\"order-number\">").Append(E(receipt.Title)).Append("</h2>");
        foreach (var fact in receipt.Facts) html.Append("<p class=\"facts\">").Append(E(fact)).Append("</p>");
        html.Append("</header>\n");
        foreach (var section in receipt.Sections)
        {
            html.Append("<section><h3>").Append(E(section.Title)).Append("</h3><table>");
            foreach (var row in section.Rows)
                html.Append(row.Total ? "<tr class=\"total\">" : "<tr>").Append("<td>").Append(E(row.Label)).Append("</td><td class=\"amount\">")
                    .Append(row.Amount is { } amount ? Receipt.Money(amount) : "").Append("</td></tr>");
            html.Append("</table></section>\n");
        }
        html.Append("<p class=\"no-print\"><button onclick=\"window.print()\">Print</button></p>\n</body></html>\n");
        return html.ToString();
    }
}
