<?php
declare(strict_types=1);

namespace Finframe\Elements\Model\Config\Source;

use Magento\Framework\Data\OptionSourceInterface;

/**
 * Benji's environments for the admin's select (the element's `environment`; `development` is loopback, never offered).
 */
class BenjiEnvironment implements OptionSourceInterface
{
    /**
     * @return array<int, array{value: string, label: \Magento\Framework\Phrase}>
     */
    public function toOptionArray(): array
    {
        return [
            ['value' => 'sandbox', 'label' => __('Sandbox (verifyapp-staging.withbenji.com)')],
            ['value' => 'production', 'label' => __('Production (verifyapp.withbenji.com)')],
        ];
    }
}
