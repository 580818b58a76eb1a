<?php
/**
 * The few Magento classes the module's blocks and templates touch, as small stubs, so the module's
 * real PHP (registration.php, the Block classes, the .phtml templates) runs under plain `php`.
 * Magento itself cannot be installed here. Behaviour follows Magento 2.4's: Escaper's escapeHtml
 * (htmlspecialchars, no double encoding), escapeHtmlAttr (Laminas: everything but [A-Za-z0-9,._-]
 * as a character reference), escapeUrl (script schemes stripped, then HTML-escaped), and
 * SecureHtmlRenderer::renderTag (attributes through escapeHtmlAttr; a closing tag for every element
 * but the void ones — before magento/framework 103.0.4, an empty content gave `<script …/>`, which
 * HTML parses as an unclosed script: magento/magento2#32822, hence composer.json's constraint).
 */
declare(strict_types=1);

namespace Magento\Framework\Component {
    class ComponentRegistrar
    {
        public const MODULE = 'module';
        /** @var array<string, array<string, string>> */
        public static array $paths = [];

        public static function register(string $type, string $name, string $path): void
        {
            self::$paths[$type][$name] = $path;
        }
    }
}

namespace Magento\Framework\App\Config {
    interface ScopeConfigInterface
    {
        public function getValue($path, $scopeType = 'default', $scopeCode = null);

        public function isSetFlag($path, $scopeType = 'default', $scopeCode = null);
    }
}

namespace Magento\Store\Model {
    interface ScopeInterface
    {
        public const SCOPE_STORE = 'store';
    }
}

namespace Magento\Framework\Data {
    interface OptionSourceInterface
    {
        public function toOptionArray();
    }
}

namespace Magento\Framework\Data\Form {
    class FormKey
    {
        public function __construct(private string $value)
        {
        }

        public function getFormKey(): string
        {
            return $this->value;
        }
    }
}

namespace Magento\Widget\Block {
    interface BlockInterface
    {
    }
}

namespace Magento\Framework {
    class Phrase
    {
        public function __construct(private string $text)
        {
        }

        public function __toString(): string
        {
            return $this->text;
        }
    }

    class Escaper
    {
        public function escapeHtml($data, $allowedTags = null): string
        {
            return htmlspecialchars((string) $data, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8', false);
        }

        public function escapeHtmlAttr($string, $escapeSingleQuote = true): string
        {
            return (string) preg_replace_callback('/[^a-z0-9,._-]/iu', static function (array $m): string {
                $char = $m[0];
                $named = ['"' => '&quot;', '&' => '&amp;', '<' => '&lt;', '>' => '&gt;'];
                if (isset($named[$char])) {
                    return $named[$char];
                }
                $code = unpack('N', (string) iconv('UTF-8', 'UCS-4BE', $char))[1];
                if ($code < 0x20 && !in_array($char, ["\t", "\n", "\r"], true)) {
                    return '&#xFFFD;';
                }
                return sprintf($code > 0xFF ? '&#x%04X;' : '&#x%02X;', $code);
            }, (string) $string);
        }

        public function escapeUrl($string): string
        {
            return $this->escapeHtml($this->escapeXssInUrl((string) $string));
        }

        public function escapeXssInUrl($data): string
        {
            $data = (string) $data;
            do {
                $before = $data;
                $data = (string) preg_replace('/(javascript|vbscript|data)(:|%3a|\\\\x3a)/i', ':', $data);
            } while ($data !== $before);
            return htmlspecialchars($data, ENT_QUOTES | ENT_HTML5, 'UTF-8', false);
        }
    }
}

namespace Magento\Framework\View\Helper {
    use Magento\Framework\Escaper;

    class SecureHtmlRenderer
    {
        private const VOID = ['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'];

        public function __construct(private Escaper $escaper)
        {
        }

        public function renderTag(string $tagName, array $attributes, ?string $content = null, bool $textContent = true): string
        {
            $html = '<' . $tagName;
            foreach ($attributes as $name => $value) {
                $html .= ' ' . $name . '="' . $this->escaper->escapeHtmlAttr($value) . '"';
            }
            if ($content !== null && $textContent) {
                $content = $this->escaper->escapeHtml($content);
            }
            return in_array($tagName, self::VOID, true) ? $html . '/>' : $html . '>' . $content . '</' . $tagName . '>';
        }
    }
}

namespace Magento\Framework\View\Element\Template {
    use Magento\Framework\App\Config\ScopeConfigInterface;

    class Context
    {
        public function __construct(private ScopeConfigInterface $scopeConfig, public string $staticBase)
        {
        }

        public function getScopeConfig(): ScopeConfigInterface
        {
            return $this->scopeConfig;
        }
    }
}

namespace Magento\Framework\View\Element {
    use Magento\Framework\View\Element\Template\Context;

    class Template
    {
        /** @var string */
        protected $_template;
        /** @var \Magento\Framework\App\Config\ScopeConfigInterface */
        protected $_scopeConfig;
        private string $staticBase;

        public function __construct(Context $context, private array $data = [])
        {
            $this->_scopeConfig = $context->getScopeConfig();
            $this->staticBase = $context->staticBase;
        }

        public function getData($key = null)
        {
            return $key === null ? $this->data : ($this->data[$key] ?? null);
        }

        public function getTemplate(): string
        {
            return $this->_template;
        }

        /** `Module_Name::path` → {static base}/Module_Name/path, as a deployed store serves it. */
        public function getViewFileUrl($fileId, array $params = []): string
        {
            [$module, $path] = explode('::', $fileId, 2);
            return rtrim($this->staticBase, '/') . '/' . $module . '/' . $path;
        }
    }
}

namespace {
    function __($text, ...$args): \Magento\Framework\Phrase
    {
        return new \Magento\Framework\Phrase(vsprintf((string) $text, $args));
    }
}
