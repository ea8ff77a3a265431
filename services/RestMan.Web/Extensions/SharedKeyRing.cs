using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using RestMan.Caching;
using StackExchange.Redis;

namespace RestMan.Web.Extensions;

/// <summary>
/// The Data Protection key ring every web replica shares: application name <c>RestMan.Web</c>, keys in Redis under
/// <see cref="RedisKey"/> (only the web app reads it), each key encrypted at rest with AES-GCM under a key derived (HKDF)
/// from the deployment's secret <c>Identity:SigningKey</c>: whoever reads Redis without that secret learns nothing it
/// could sign a cookie with. Without <c>ConnectionStrings:redis</c> (a lone web app, component tests) the keys stay in
/// the default per-machine folder.
/// </summary>
public static class SharedKeyRing
{
    public const string ApplicationName = "RestMan.Web";
    public const string RedisKey = "restman:web:data-protection-keys";

    public static void AddSharedKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("redis"))) return;

        builder.AddRedis("redis");
        var secret = builder.Configuration["Identity:SigningKey"];
        if (string.IsNullOrWhiteSpace(secret))
            throw new InvalidOperationException("Identity:SigningKey is not configured: the shared Data Protection key ring is encrypted with a key derived from it.");
        var encryption = new KeyRingEncryption(Derive(secret));
        builder.Services.AddSingleton(encryption);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
        {
            options.XmlRepository = new RedisXmlRepository(() => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), RedisKey);
            options.XmlEncryptor = new KeyRingEncryptor(encryption);
        });
    }

    private static byte[] Derive(string secret)
    {
        byte[] material;
        try
        {
            material = Convert.FromBase64String(secret);
        }
        catch (FormatException)
        {
            material = Encoding.UTF8.GetBytes(secret);
        }
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: Encoding.UTF8.GetBytes("RestMan.Web data protection key ring"));
    }
}

/// <summary>The key that encrypts the key ring at rest (registered so the decryptor, made by Data Protection, finds it).</summary>
public sealed class KeyRingEncryption(byte[] key)
{
    private const int NonceSize = 12, TagSize = 16;

    public string Encrypt(string plaintext)
    {
        var input = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + input.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, input, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext)
    {
        var input = Convert.FromBase64String(ciphertext);
        if (input.Length < NonceSize + TagSize) throw new CryptographicException("The encrypted Data Protection key is truncated.");
        var output = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), output);
        return Encoding.UTF8.GetString(output);
    }
}

/// <summary>Writes a key's secret part as <c>&lt;encryptedKey&gt;</c> (AES-GCM, base64), decrypted by <see cref="KeyRingDecryptor"/>.</summary>
public sealed class KeyRingEncryptor(KeyRingEncryption encryption) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var encrypted = new XElement("encryptedKey", encryption.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        return new EncryptedXmlInfo(encrypted, typeof(KeyRingDecryptor));
    }
}

/// <summary>Made by Data Protection (by type name, with the container) when it reads a key from the ring.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var encryption = services.GetService<KeyRingEncryption>()
            ?? throw new InvalidOperationException("The key ring is encrypted but this process has no key ring encryption configured.");
        return XElement.Parse(encryption.Decrypt(encryptedElement.Value));
    }
}
