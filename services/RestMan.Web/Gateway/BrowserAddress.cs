namespace RestMan.Web.Gateway;

/// <summary>
/// The address of the browser this page or circuit serves (the gateway's X-Forwarded-For, believed from trusted proxies
/// only), read once when the scope starts: the page's request, or the circuit's WebSocket request. The API calls made on
/// the browser's behalf carry it, so the gateway's and Auth's per-client budgets count that browser, not the web app.
/// </summary>
public sealed class BrowserAddress(IHttpContextAccessor accessor)
{
    public string? Value { get; } = accessor.HttpContext?.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : null;
}
