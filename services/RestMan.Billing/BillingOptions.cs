namespace RestMan.Billing;

/// <summary>Billing settings, bound from the "Billing" configuration section.</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    /// <summary>The share of the subtotal added as tax; 0.10 is 10 %.</summary>
    public decimal TaxRate { get; set; } = 0.10m;

    public PaymentOptions Payments { get; set; } = new();

    public ReceiptOptions Receipts { get; set; } = new();
}

/// <summary>How receipts are made ("Billing:Receipts").</summary>
public sealed class ReceiptOptions
{
    /// <summary>Where DejaVuSans.ttf and DejaVuSans-Bold.ttf are, for the PDF (PDFsharp finds no system fonts on Linux).</summary>
    public string FontDirectory { get; set; } = "/usr/share/fonts/truetype/dejavu";
}

/// <summary>The payment provider's settings ("Billing:Payments").</summary>
public sealed class PaymentOptions
{
    /// <summary>The shared secret the provider signs its webhooks with (HMAC-SHA256); the simulated provider's by default.</summary>
    public string WebhookSecret { get; set; } = SimulatedWebhookSecret;

    public const string SimulatedWebhookSecret = "restman-simulated-provider-webhook-secret";

    /// <summary>How often the reconciler asks the provider about payments left pending.</summary>
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a payment may wait on its first answer before the reconciler asks for it.</summary>
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the simulated provider hangs on its hanging test card (4000000000000341) before it times out.</summary>
    public TimeSpan SimulatedHang { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A payment the provider still does not know after this long was never charged: it fails.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(2);
}
