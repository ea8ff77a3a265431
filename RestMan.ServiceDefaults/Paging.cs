using System.Globalization;

namespace Microsoft.Extensions.Hosting;

/// <summary>List endpoints' <c>?page=&amp;page_size=</c>: pages count from 1; 20 a page unless asked, never more than 100.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static (int Page, int PageSize) Parse(string? page, string? pageSize, Dictionary<string, string> errors)
    {
        var parsedPage = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out parsedPage) || parsedPage < 1))
            errors["page"] = "must be a whole number from 1.";
        var parsedSize = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out parsedSize)
                                     || parsedSize is < 1 or > MaxPageSize))
            errors["page_size"] = $"must be a whole number from 1 to {MaxPageSize}.";
        return (parsedPage, parsedSize);
    }
}
