using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace RestMan.Billing.Receipts;

/// <summary>The receipt as a PDF (PDFsharp), an A4 page (more when it is long) with the same rows as the HTML.</summary>
public static class ReceiptPdf
{
    private const string Family = "DejaVu Sans";
    private static readonly Lock Setup = new();
    private static bool FontsSet;

    public static byte[] Render(Receipt receipt, string fontDirectory)
    {
        EnsureFonts(fontDirectory);
        using var document = new PdfDocument();
        document.Info.Title = $"{receipt.RestaurantName} — {receipt.Title}";
        var regular = new XFont(Family, 10, XFontStyleEx.Regular);
        var bold = new XFont(Family, 10, XFontStyleEx.Bold);
        var heading = new XFont(Family, 16, XFontStyleEx.Bold);

        var page = document.AddPage();
        var gfx = XGraphics.FromPdfPage(page);
        const double margin = 50, line = 15;
        var width = page.Width.Point - 2 * margin;
        var y = margin;

        void NewPageIfFull()
        {
            if (y < page.Height.Point - margin) return;
            gfx.Dispose();
            page = document.AddPage();
            gfx = XGraphics.FromPdfPage(page);
            y = margin;
        }

        void Centered(string text, XFont font, double height)
        {
            NewPageIfFull();
            gfx.DrawString(text, font, XBrushes.Black, new XRect(margin, y, width, height), XStringFormats.TopCenter);
            y += height;
        }

        Centered(receipt.RestaurantName, heading, 22);
        foreach (var detail in receipt.RestaurantDetails) Centered(detail, regular, line);
        Centered(receipt.Title, bold, line + 4);
        foreach (var fact in receipt.Facts) Centered(fact, regular, line);
        foreach (var section in receipt.Sections)
        {
            y += line / 2;
            NewPageIfFull();
            gfx.DrawString(section.Title.ToUpperInvariant(), bold, XBrushes.Black, new XRect(margin, y, width, line), XStringFormats.TopLeft);
            y += line;
            gfx.DrawLine(XPens.Gray, margin, y - 2, margin + width, y - 2);
            foreach (var row in section.Rows)
            {
                NewPageIfFull();
                var font = row.Total ? bold : regular;
                gfx.DrawString(row.Label, font, XBrushes.Black, new XRect(margin, y, width * 0.75, line), XStringFormats.TopLeft);
                if (row.Amount is { } amount)
                    gfx.DrawString(Receipt.Money(amount), font, XBrushes.Black, new XRect(margin, y, width, line), XStringFormats.TopRight);
                y += line;
            }
        }
        gfx.Dispose();

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    // PDFsharp finds no system fonts on Linux: it is given DejaVu Sans from the font directory (Billing:Receipts:FontDirectory).
    private static void EnsureFonts(string fontDirectory)
    {
        lock (Setup)
        {
            if (FontsSet) return;
            GlobalFontSettings.FontResolver = new DirectoryFontResolver(fontDirectory);
            FontsSet = true;
        }
    }

    private sealed class DirectoryFontResolver(string directory) : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(directory, faceName + ".ttf"));
    }
}
