using System.Net.Http.Json;

namespace RestMan.Tests.Infrastructure;

/// <summary>The Kafka dev broker's HTTP control API, for tests that create topics or take brokers down and up.</summary>
public sealed class KafkaBrokerControl(Uri baseAddress)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void CreateTopic(string topic, int partitions = 3) =>
        Send(HttpMethod.Post, "/topics", JsonContent.Create(new { name = topic, partitions }));

    /// <summary>Closes the broker's connections and refuses new ones until <see cref="SetBrokerUp"/>; its data stays.</summary>
    public void SetBrokerDown(int brokerId = 1) => Send(HttpMethod.Post, $"/brokers/{brokerId}/down");

    public void SetBrokerUp(int brokerId = 1) => Send(HttpMethod.Post, $"/brokers/{brokerId}/up");

    // Synchronous like the calls it replaces: fault tests flip brokers between steps, never concurrently.
    private void Send(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path)) { Content = content };
        using var response = Http.Send(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"Kafka dev broker: {method} {path} answered {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }
}
