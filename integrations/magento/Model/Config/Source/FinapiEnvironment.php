<?php
declare(strict_types=1);

namespace Finframe\Elements\Model\Config\Source;

use Magento\Framework\Data\OptionSourceInterface;

/**
 * finAPI's web form servers for the admin's select (the element's `environment`).
 */
class FinapiEnvironment implements OptionSourceInterface
{
    /**
     * @return array<int, array{value: string, label: \Magento\Framework\Phrase}>
     */
    public function toOptionArray(): array
    {
        return [
            ['value' => 'sandbox', 'label' => __('Sandbox (webform-sandbox.finapi.io)')],
            ['value' => 'live', 'label' => __('Live (webform-live.finapi.io)')],
        ];
    }
}
